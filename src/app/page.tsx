import { LabList } from "./_components/LabList";

export default function HomePage() {
  return (
    <>
      <h1>Labs</h1>
      <p className="tagline">Each lab starts real containers for you. Pick one and press Start.</p>
      <LabList />
    </>
  );
}
