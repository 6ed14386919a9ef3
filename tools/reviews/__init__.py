"""Review text: sentiment scores in Chinese and English, and the tool that reports them."""
