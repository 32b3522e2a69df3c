"""Page views, one module per area; each view parses the form or query, calls the core and renders a template."""
