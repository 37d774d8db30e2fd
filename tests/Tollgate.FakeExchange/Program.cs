// Placeholder entry point until the fake exchange lands.
return 0;
