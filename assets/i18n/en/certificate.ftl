# Strings of the certificate step; ids start with certificate-.
