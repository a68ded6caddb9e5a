"""The engine's earlier brute-force algorithms, kept verbatim as test oracles for the fast ones."""
