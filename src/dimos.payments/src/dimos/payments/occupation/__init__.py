"""Common-space occupation: applications, tariffs, approval, payment, the signed permit."""
