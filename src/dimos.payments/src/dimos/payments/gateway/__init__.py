"""Payment gateways: the interface, and the sandbox gateway served on 127.0.0.1."""
