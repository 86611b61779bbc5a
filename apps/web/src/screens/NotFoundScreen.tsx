import { NavLink } from '../components/NavLink';
import { PageHeading } from '../components/PageHeading';

export function NotFoundScreen() {
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      <p>
        There is nothing at this address. Go to your <NavLink to="/billing/plan">plan</NavLink>.
      </p>
    </>
  );
}
