"""Stage 3, the engine side: each language's complete MkDocs project (`project`: config,
pages, overrides and the thin adapter of hooks/) and the stylesheet pruning the Material tuning
layer uses (`stylesheet`). Everything that knows MkDocs or Material by name is here, in
hooks/ and in overrides/."""
