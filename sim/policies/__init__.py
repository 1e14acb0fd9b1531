"""Policy levers (one module per lever); the levers arrive with the programme designs."""
