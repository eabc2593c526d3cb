// sluice command-line entry point (being built).
int main() { return 0; }
