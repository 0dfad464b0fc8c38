"""Stage 2, pages: the checked data rendered into each language's Markdown pages
(`render`: one Jinja environment, templates in `templates/`, values escaped in its `finalize`),
where each collection lives (`routes`), the figures, charts and downloads drawn from the
records (`figures`, `charts`, `opendata`), the escaping of each output (`escaping`), and
`site`, the checked data with what is made from it."""
