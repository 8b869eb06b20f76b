"""Migration revisions, oldest first: 0001 core store and audit chain, 0002 governance."""
