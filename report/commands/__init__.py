"""The everyday subcommands (build, validate, watch, init, brands, schema): one module each, with
`register(subparsers)`; what they share is in options.py and jobs.py."""
