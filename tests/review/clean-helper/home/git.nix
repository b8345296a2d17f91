{
  programs.git = {
    enable = true;
    userName = "Tomas Lindqvist";
  };
}
