"""The brand: brand file -> Theme (pure data), its fonts and assets checked, and the reportlab styles."""
