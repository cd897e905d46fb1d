"""Rules of this family are being written; see reqdsl/checks/registry.py."""
