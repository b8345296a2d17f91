{ ... }:
{
  networking.domain = "cache.example";
}
