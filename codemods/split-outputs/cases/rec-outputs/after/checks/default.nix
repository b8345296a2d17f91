{ nixosConfigurations, ... }:
{
  x86_64-linux = {
    alpha = nixosConfigurations.alpha.config.system.build.toplevel;
    beta = nixosConfigurations.beta.config.system.build.toplevel;
  };
}
