"""The language server behind `reqdsl lsp` (pygls): diagnostics for the whole project,
definition, references, hover, completion, rename, outline, formatting, quick fixes."""
