"""Interoperability and review: exports (JSON, CSV, XLSX, ReqIF), imports (ReqIF,
StrictDoc, Doorstop), JUnit test results, project diffs with suspect links, impact trees.

Every module here reads the checked model (`reqdsl.model`) and returns data or text;
the commands in `reqdsl.commands` do the printing and the writing.
"""
