"""The combined risk score: a logistic model over the indicator features, learned from labelled crossings
(the synthetic truth, or an agency's confirmed dispositions), versioned like the resolution model, and explained
feature by feature (docs/indicators.md, "The combined risk score")."""
