//! `search serve`'s page, in a real headless browser (Chromium over WebDriver).
