"""URLconfs for the show_urls tests."""
