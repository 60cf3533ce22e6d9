// Placeholder entry point; replaced when the endpoint is wired.
print("not implemented yet")
