"""The languages: the table (`languages`: one row per language, its field, format and
converter), the Traditional conversion (`convert`: OpenCC s2tw and the reviewed phrase list),
the formats of dates, numbers and amounts (`formatting`) and the UI strings (`strings.yaml`)."""
