# Strings of the test connection step; ids start with test-connection-.
