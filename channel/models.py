"""Models of the connection channel."""
