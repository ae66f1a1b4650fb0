# Strings of the review step; ids start with review-.
