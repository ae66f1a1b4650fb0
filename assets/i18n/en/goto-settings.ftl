# Strings of the goto settings step; ids start with goto-settings-.
