"""The prompt files (TOML): shipped inside the package as extractor.prompt_files, so an installed
kpi-extract finds them from any directory. Nothing to import here: see README.md."""
