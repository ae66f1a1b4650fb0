# Strings of the credentials step; ids start with credentials-.
