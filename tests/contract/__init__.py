"""Contract checks: the spec's examples, the reference sample and the stand-in against the spec."""
