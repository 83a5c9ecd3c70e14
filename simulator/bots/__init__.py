"""Bots: definitions compiled for speed, and the runtime that plays their dialogs (B1-B3, B8)."""
