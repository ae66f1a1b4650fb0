# Strings of the metadata url step; ids start with metadata-url-.
