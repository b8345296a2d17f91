{ ... }:
{
  networking.domain = "web.example";
}
