"""Network objectives and initialisations: one file each, found by the registry."""
