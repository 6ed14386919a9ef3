"""Customer profiles (用户画像) of segments against all customers."""
