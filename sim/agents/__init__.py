"""People and their households: who is simulated, drawn from published marginals."""
