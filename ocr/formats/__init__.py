"""Writers (and the PAGE reader) for recognition results."""
