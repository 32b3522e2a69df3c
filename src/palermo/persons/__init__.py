"""Person records as reported by sources: viewing and searching them, always justified and recorded."""
