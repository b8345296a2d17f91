{
  pkgsFor,
  self,
  ...
}:
# The dev shell builds: the check every system can run.
{
  perSystem =
    { system, ... }:
    {
      checks = {
        shell = self.devShells.${system}.default;
      };
    };
}
