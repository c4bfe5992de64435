"""Reading an input: strict YAML with source positions -> the validated model, errors located."""
