"""The platform's rules as pure Polars: LazyFrames and rule objects in, result objects out."""
