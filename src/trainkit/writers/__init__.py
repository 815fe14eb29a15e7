"""One module per output: ``write(ctx: BuildContext) -> None``."""
