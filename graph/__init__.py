"""Graph storage: the embedded Oxigraph store, generations and atomic swaps."""
