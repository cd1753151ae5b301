"""Reading seller-center exports: kinds and header aliases, encodings, Excel wrappers, values."""
