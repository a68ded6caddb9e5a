"""The Textual workshop app. It displays and edits; the engine computes."""
