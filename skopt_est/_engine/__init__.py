"""The training engine: torch and numpy, never scikit-learn's estimators."""
