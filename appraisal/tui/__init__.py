"""The Textual workshop app. It displays and edits; the session and the reports derive what it shows."""
