"""One module per schema revision; ``0001_baseline`` is the schema of the first release that
had migrations (and of the release before it, whose ``create_all`` databases it adopts)."""
