# Strings of the start step; ids start with start-.
