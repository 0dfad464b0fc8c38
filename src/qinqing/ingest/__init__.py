"""Stage 1, ingest: the editable files read as hostile (safe YAML with line and column kept:
`loader`), typed (`model`), and checked across records and against the cited passages
(`validation`, `faithfulness`), every problem a located, bilingual issue."""
