# Strings of the relay state step; ids start with relay-state-.
