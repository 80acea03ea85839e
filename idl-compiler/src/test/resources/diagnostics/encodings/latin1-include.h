const B = 2; /* é */
