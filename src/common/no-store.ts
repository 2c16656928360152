import type { Request, Response } from 'express';

/**
 * The default for every response but static assets (issue #12): nothing the API or the pages answer
 * may sit in a browser's or a proxy's cache — names, phones, referrals, exports, errors. A handler
 * that wants caching sets its own header after this.
 */
export function noStoreByDefault(assetsPrefix: string) {
  return (req: Request, res: Response, next: () => void): void => {
    if (!req.path.startsWith(assetsPrefix)) {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
    }
    next();
  };
}
